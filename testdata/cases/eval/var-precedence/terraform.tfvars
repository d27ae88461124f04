scan = false

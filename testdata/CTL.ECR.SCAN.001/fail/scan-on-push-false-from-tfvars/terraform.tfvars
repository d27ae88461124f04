scan_on_push = false

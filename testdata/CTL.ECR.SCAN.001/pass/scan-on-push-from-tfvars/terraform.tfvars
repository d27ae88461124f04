scan_on_push = true

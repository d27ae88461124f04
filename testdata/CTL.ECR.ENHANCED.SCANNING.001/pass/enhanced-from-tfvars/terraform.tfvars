scan_type = "ENHANCED"

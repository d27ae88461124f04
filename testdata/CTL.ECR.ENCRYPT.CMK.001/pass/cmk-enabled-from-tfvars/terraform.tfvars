use_cmk = true

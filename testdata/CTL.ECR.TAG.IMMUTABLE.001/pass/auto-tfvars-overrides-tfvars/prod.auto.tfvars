# *.auto.tfvars files are loaded after terraform.tfvars and take precedence.
tag_mutability = "IMMUTABLE"

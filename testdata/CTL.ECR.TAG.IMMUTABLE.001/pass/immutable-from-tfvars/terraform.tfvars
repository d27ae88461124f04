image_tag_mutability = "IMMUTABLE"

#!/usr/bin/env python3
"""Generates the benchmark corpus for plangate (see benches/README.md).

    generate.py foreach  N OUT_DIR   one root, for_each over N repositories with lifecycle
                                     and repository policies
    generate.py monorepo N OUT_DIR   N stack directories (~100 lines each) calling a shared
                                     local module, plus the module itself
    generate.py plan     N OUT_FILE  a `terraform show -json` plan with N repositories and
                                     their policies (about 1 KB per repository)
"""
import json
import os
import sys


def foreach(n, out):
    os.makedirs(out, exist_ok=True)
    names = ",\n".join(f'    "svc-{i:06d}"' for i in range(n))
    with open(os.path.join(out, "main.tf"), "w") as f:
        f.write(f"""locals {{
  repos = toset([
{names}
  ])
}}

resource "aws_kms_key" "ecr" {{
  description = "ECR images"
}}

resource "aws_ecr_repository" "r" {{
  for_each             = local.repos
  name                 = each.key
  image_tag_mutability = "IMMUTABLE"
  encryption_configuration {{
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn
  }}
  image_scanning_configuration {{
    scan_on_push = true
  }}
}}

resource "aws_ecr_lifecycle_policy" "l" {{
  for_each   = aws_ecr_repository.r
  repository = each.value.name
  policy = jsonencode({{
    rules = [{{
      rulePriority = 1
      description  = "expire untagged"
      selection    = {{ tagStatus = "untagged", countType = "sinceImagePushed", countUnit = "days", countNumber = 14 }}
      action       = {{ type = "expire" }}
    }}]
  }})
}}

resource "aws_ecr_repository_policy" "p" {{
  for_each   = aws_ecr_repository.r
  repository = each.value.name
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Sid       = "pull"
      Effect    = "Allow"
      Principal = {{ AWS = "arn:aws:iam::111122223333:root" }}
      Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    }}]
  }})
}}
""")


MODULE = """variable "names" {
  type = set(string)
}

variable "mutability" {
  type    = string
  default = "IMMUTABLE"
}

variable "scan" {
  type    = bool
  default = true
}

resource "aws_ecr_repository" "this" {
  for_each             = var.names
  name                 = each.key
  image_tag_mutability = var.mutability
  image_scanning_configuration {
    scan_on_push = var.scan
  }
}

resource "aws_ecr_lifecycle_policy" "this" {
  for_each   = aws_ecr_repository.this
  repository = each.value.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      selection    = { tagStatus = "untagged", countType = "sinceImagePushed", countUnit = "days", countNumber = 7 }
      action       = { type = "expire" }
    }]
  })
}

output "repository_names" {
  value = [for r in aws_ecr_repository.this : r.name]
}
"""


def monorepo(n, out):
    os.makedirs(os.path.join(out, "modules", "ecr"), exist_ok=True)
    with open(os.path.join(out, "modules", "ecr", "main.tf"), "w") as f:
        f.write(MODULE)
    for i in range(n):
        d = os.path.join(out, "stacks", f"stack-{i:04d}")
        os.makedirs(d, exist_ok=True)
        lines = [
            'variable "env" {',
            '  type    = string',
            f'  default = "env{i % 7}"',
            '}',
            '',
            'locals {',
            f'  team  = "team-{i}"',
            '  names = [for s in ["api", "worker", "web"] : "${local.team}-${var.env}-${s}"]',
            '  tags = {',
            '    Team        = local.team',
            '    Environment = var.env',
            '    ManagedBy   = "terraform"',
            '  }',
            '}',
            '',
            'module "ecr" {',
            '  source     = "../../modules/ecr"',
            '  names      = toset(local.names)',
            '  mutability = "%s"' % ("MUTABLE" if i % 5 == 0 else "IMMUTABLE"),
            '  scan       = %s' % ("false" if i % 3 == 0 else "true"),
            '}',
            '',
        ]
        # Unrelated resources, as real stacks have: the linter must read them all.
        for j in range(7):
            lines += [
                f'resource "aws_s3_bucket" "b{j}" {{',
                f'  bucket = "${{local.team}}-${{var.env}}-bucket-{j}"',
                '  tags   = local.tags',
                '}',
                '',
                f'resource "aws_iam_role" "r{j}" {{',
                f'  name = "${{local.team}}-role-{j}"',
                '  assume_role_policy = jsonencode({',
                '    Version   = "2012-10-17"',
                '    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]',
                '  })',
                '}',
                '',
            ]
        lines += ['output "repositories" {', '  value = module.ecr.repository_names', '}', '']
        with open(os.path.join(d, "main.tf"), "w") as f:
            f.write("\n".join(lines))


def plan(n, out_file):
    changes, resources = [], []
    for i in range(n):
        name = f"svc-{i:06d}"
        after = {
            "name": name,
            "image_tag_mutability": "MUTABLE" if i % 4 == 0 else "IMMUTABLE",
            "encryption_configuration": [{"encryption_type": "AES256", "kms_key": ""}],
            "image_scanning_configuration": [{"scan_on_push": i % 3 != 0}],
            "force_delete": None,
            "tags": {"Team": f"team-{i % 50}", "Service": name},
            "timeouts": None,
        }
        unknown = {"arn": True, "id": True, "registry_id": True, "repository_url": True, "tags_all": True,
                   "encryption_configuration": [{}], "image_scanning_configuration": [{}]}
        addr = f'aws_ecr_repository.r["{name}"]'
        changes.append({"address": addr, "mode": "managed", "type": "aws_ecr_repository", "name": "r",
                        "index": name, "provider_name": "registry.terraform.io/hashicorp/aws",
                        "change": {"actions": ["create"], "before": None, "after": after,
                                   "after_unknown": unknown, "before_sensitive": False, "after_sensitive": {}}})
        resources.append({"address": addr, "mode": "managed", "type": "aws_ecr_repository", "name": "r",
                          "index": name, "provider_name": "registry.terraform.io/hashicorp/aws",
                          "schema_version": 0, "values": after, "sensitive_values": {}})
        policy = json.dumps({"rules": [{"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14}, "action": {"type": "expire"}}]})
        laddr = f'aws_ecr_lifecycle_policy.l["{name}"]'
        changes.append({"address": laddr, "mode": "managed", "type": "aws_ecr_lifecycle_policy", "name": "l",
                        "index": name, "provider_name": "registry.terraform.io/hashicorp/aws",
                        "change": {"actions": ["create"], "before": None,
                                   "after": {"repository": name, "policy": policy},
                                   "after_unknown": {"id": True, "registry_id": True},
                                   "before_sensitive": False, "after_sensitive": {}}})
    doc = {
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "planned_values": {"root_module": {"resources": resources}},
        "resource_changes": changes,
        "configuration": {"provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws"}},
                          "root_module": {"resources": [
                              {"address": "aws_ecr_repository.r", "mode": "managed", "type": "aws_ecr_repository", "name": "r",
                               "provider_config_key": "aws", "expressions": {"name": {"references": ["each.key"]}}, "schema_version": 0,
                               "for_each_expression": {"references": ["local.repos"]}},
                              {"address": "aws_ecr_lifecycle_policy.l", "mode": "managed", "type": "aws_ecr_lifecycle_policy", "name": "l",
                               "provider_config_key": "aws", "expressions": {"repository": {"references": ["each.value.name", "each.value"]}},
                               "schema_version": 0, "for_each_expression": {"references": ["aws_ecr_repository.r"]}}]}},
    }
    with open(out_file, "w") as f:
        json.dump(doc, f, indent=2)


if __name__ == "__main__":
    kind, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    {"foreach": foreach, "monorepo": monorepo, "plan": plan}[kind](n, out)

#!/usr/bin/env bash
# The pre-commit hook as users get it: the real `pre-commit try-repo` builds plangate from
# this repository's committed HEAD (language: rust) and runs the `plangate` hook against a
# scratch git repository, once on a failing file (it must fail, on a control) and once on a
# passing one (it must pass, ignoring .terraform/ and .tfvars). Needs `pre-commit` on PATH.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
command -v pre-commit > /dev/null || { echo "pre-commit-test: pre-commit is not on PATH" >&2; exit 2; }

# Both try-repo runs build plangate in release mode; a shared target directory lets the
# second reuse the first's dependencies.
export CARGO_TARGET_DIR="${PLANGATE_PRE_COMMIT_TARGET:-$root/target/pre-commit}"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
git init -q .
mkdir -p failing passing/.terraform/modules/vendored
cat > failing/main.tf <<'TF'
resource "aws_ecr_repository" "app" {
  name                 = "app"
  image_tag_mutability = "MUTABLE"
}
TF
cat > passing/main.tf <<'TF'
# No ECR resource here: nothing for plangate to object to.
resource "aws_kms_key" "logs" {
  description         = "logs"
  enable_key_rotation = true
}
TF
echo 'region = "eu-west-1"' > passing/terraform.tfvars
# A downloaded module that would fail if it were checked: the hook excludes .terraform/.
cp failing/main.tf passing/.terraform/modules/vendored/main.tf
git add -A -f

log="$scratch/try-repo.log"
echo "pre-commit-test: failing file"
if pre-commit try-repo "$root" plangate --verbose --files failing/main.tf > "$log" 2>&1; then
  cat "$log"
  echo "pre-commit-test: FAILED: the hook passed on failing/main.tf" >&2
  exit 1
fi
cat "$log"
# It must fail because of a control, not because the build or the hook broke.
grep -q 'CTL.ECR.TAG.IMMUTABLE.001' "$log" || {
  echo "pre-commit-test: FAILED: the hook failed without reporting the TAG.IMMUTABLE violation" >&2
  exit 1
}

echo "pre-commit-test: passing file"
if ! pre-commit try-repo "$root" plangate --verbose \
    --files passing/main.tf passing/terraform.tfvars passing/.terraform/modules/vendored/main.tf \
    > "$log" 2>&1; then
  cat "$log"
  echo "pre-commit-test: FAILED: the hook failed on passing/" >&2
  exit 1
fi
cat "$log"
grep -qE '^plangate \(Terraform ECR controls\)\.+Passed' "$log" || {
  echo "pre-commit-test: FAILED: the hook did not run and pass on passing/main.tf" >&2
  exit 1
}
echo "pre-commit-test: the hook failed on the failing file and passed on the passing one"

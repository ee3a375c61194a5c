#!/bin/sh
# falx pre-commit hook: checks the staged rules (not the working tree), then shows what the staged
# change does to the policy and refuses the commit when it may make the rules detect less, unless
# FALX_ALLOW_EXPANSION=1. Install: cp pre-commit-falx.sh .git/hooks/pre-commit (or use pre-commit,
# see pre-commit-hooks.yaml).
#   FALX       how to run falx (default: npx falx)
#   FALX_RULES the rules folder (default: rules)
set -eu
FALX=${FALX:-npx falx}
RULES=${FALX_RULES:-rules}

staged=$(git diff --cached --name-only --diff-filter=ACMRD -- "$RULES" | grep -E '\.ya?ml$' || true)
[ -z "$staged" ] && exit 0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/staged" "$work/head"
# The staged version of the rules folder, and the committed one (none in a new repository).
git checkout-index --prefix="$work/staged/" -- $(git ls-files -- "$RULES")
if git rev-parse --verify -q HEAD >/dev/null && git cat-file -e "HEAD:$RULES" 2>/dev/null; then
  git archive HEAD -- "$RULES" | tar -x -C "$work/head"
fi
mkdir -p "$work/staged/$RULES" "$work/head/$RULES"

# $FALX is split into words on purpose ("npx falx").
(cd "$work/staged" && $FALX check --max-warnings 0 "$RULES") || { echo "falx: the staged rules have findings; commit refused." >&2; exit 1; }
if ! (cd "$work" && $FALX diff "head/$RULES" "staged/$RULES"); then
  if [ "${FALX_ALLOW_EXPANSION:-0}" = 1 ]; then
    echo "falx: the change may expand the policy; committing anyway (FALX_ALLOW_EXPANSION=1)." >&2
  else
    echo "falx: the change may expand the policy (marked \"!\" above); commit with FALX_ALLOW_EXPANSION=1 if intended." >&2
    exit 1
  fi
fi

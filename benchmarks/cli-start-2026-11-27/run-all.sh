#!/usr/bin/env bash
# Before: /work/main (89f3be8, same CLI code as 5d6d6e4) run from source through tsx; after: this branch's bin.
set -u
M=scripts/bench-command.sh  # earlier files: the same loop, then at /tmp/cf/measure.sh
B=/work/main; A=/work/wt/hardening  # before: main at 89f3be8 (CLI code as 5d6d6e4); after: branch cli-fast
run() { echo "### $1"; shift; (cd "$1" && shift && "$A/$M" 10 "$@"); echo; }
uptime
run "before: node --import tsx packages/cli/src/main.ts --host http://127.0.0.1:9 runs ls" $B node --import tsx packages/cli/src/main.ts --host http://127.0.0.1:9 runs ls
run "after: node packages/cli/bin/sweeplab.mjs --host http://127.0.0.1:9 runs ls" $A node packages/cli/bin/sweeplab.mjs --host http://127.0.0.1:9 runs ls
run "before: node --import tsx packages/cli/src/main.ts --host http://127.0.0.1:18787 runs ls (live serve)" $B node --import tsx packages/cli/src/main.ts --host http://127.0.0.1:18787 runs ls
run "after: node packages/cli/bin/sweeplab.mjs --host http://127.0.0.1:18787 runs ls (live serve)" $A node packages/cli/bin/sweeplab.mjs --host http://127.0.0.1:18787 runs ls
run "after: node_modules/.bin/sweeplab --host http://127.0.0.1:18787 runs ls (live serve)" $A node_modules/.bin/sweeplab --host http://127.0.0.1:18787 runs ls
run "before: pnpm sweeplab --host http://127.0.0.1:18787 runs ls (live serve)" $B pnpm sweeplab --host http://127.0.0.1:18787 runs ls
run "after: pnpm sweeplab --host http://127.0.0.1:18787 runs ls (live serve)" $A pnpm sweeplab --host http://127.0.0.1:18787 runs ls
run "before: node --import tsx packages/cli/src/main.ts --version (unknown option then: exit 2)" $B node --import tsx packages/cli/src/main.ts --version
run "after: node packages/cli/bin/sweeplab.mjs --version" $A node packages/cli/bin/sweeplab.mjs --version
run "reference: node -e 0" $A node -e 0
uptime

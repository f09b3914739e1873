#!/usr/bin/env bash
# End-to-end check of the TUI: the real binary in a detached tmux session at
# 80x24 (on a private tmux server), driven with send-keys, checked with
# capture-pane. Waits poll the screen in a bounded loop; nothing sleeps a
# fixed time hoping the app is ready.
#
# Usage: scripts/tui-e2e.sh   (builds target/debug/roadlens if needed;
#        ROADLENS_BIN overrides the binary). Prints "skipped" and exits 0
#        when tmux is absent.
set -euo pipefail

if ! command -v tmux >/dev/null 2>&1; then
  echo "tui-e2e: skipped (tmux not found)"
  exit 0
fi

root=$(cd "$(dirname "$0")/.." && pwd)
bin=${ROADLENS_BIN:-$root/target/debug/roadlens}
if [ -z "${ROADLENS_BIN:-}" ]; then
  (cd "$root" && cargo build --quiet)
fi

tmp=$(mktemp -d)
server="roadlens-e2e-$$"
cleanup() {
  tmux -L "$server" kill-server >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# A throw-away repository: the sample roadmap, then a slip, then an
# uncommitted edit. git runs with an empty config.
demo="$tmp/roadmaps"
mkdir -p "$demo" "$tmp/home"
cp "$root/sample-roadmaps/smart-pump.toml" "$demo/"
have_git=0
if command -v git >/dev/null 2>&1; then
  have_git=1
  g() {
    HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home" GIT_CONFIG_NOSYSTEM=1 \
      GIT_CONFIG_GLOBAL=/dev/null git -C "$demo" \
      -c user.name="E2E" -c user.email="e2e@example.com" -c commit.gpgsign=false "$@"
  }
  g init -q
  g add smart-pump.toml
  g commit -q -m "Initial roadmap"
  sed -i.bak 's/^target = "2027-Q4"/target = "2028-Q1"/' "$demo/smart-pump.toml" && rm -f "$demo/smart-pump.toml.bak"
  g commit -q -am "Slip v2 to 2028-Q1"
  sed -i.bak 's/^confidence = "low"/confidence = "medium"/' "$demo/smart-pump.toml" && rm -f "$demo/smart-pump.toml.bak"
fi

t() { tmux -L "$server" "$@"; }
screen() { t capture-pane -p -t e2e; }
fail() {
  echo "tui-e2e: FAIL: $*"
  echo "---- screen ----"
  screen || true
  exit 1
}
# Wait (up to ~10 s, polling) until the screen shows $1.
wait_for() {
  local i
  for i in $(seq 1 200); do
    if screen | grep -qF -- "$1"; then
      return 0
    fi
    sleep 0.05
  done
  fail "waited for: $1"
}
send() { t send-keys -t e2e "$@"; }

start() { # $1: extra environment, e.g. NO_COLOR=1
  t new-session -d -s e2e -x 80 -y 24 \
    "env $1 ROADLENS_TODAY=2027-05-10 '$bin' -C '$demo'; echo ROADLENS-EXIT=\$?; sleep 600"
}

# ---- every tab, search, help, presentation, resize, quit
start "TERM=xterm-256color"
wait_for "TIMELINE"
wait_for "1 Executive"
send 2
wait_for "COMMITTED"
send 3
wait_for "Device hardware"
wait_for "v1 Vibration"
send 4
wait_for "SLICE ACROSS RELEASES"
send ]
wait_for "Layer: Device software"
send 1   # History filters its diff by the lens it was entered from
send 5
if [ "$have_git" = 1 ]; then
  wait_for "Slip v2 to 2028-Q1"
  wait_for "Uncommitted changes"
  wait_for "filter: executive lens"
  wait_for "~ confidence: low → medium"
  send j
  wait_for "2027-Q4 → 2028-Q1"
else
  wait_for "History"
fi
send 1
send /
send -l bearing
wait_for "/bearing"
wait_for "Bearing failure prediction"
send Enter
wait_for "○ Bearing failure prediction"
send '?'
wait_for "Every key"
send Escape
send p
wait_for "slide 1/4"
send Escape
wait_for "1 Executive"
t resize-window -t e2e -x 30 -y 8
wait_for "too small"
t resize-window -t e2e -x 80 -y 24
wait_for "▸ Executive"
# Live reload: an edit on disk shows up without a key press.
sed -i.bak 's/^title = "Smart Pump"/title = "Smart Pump Pro"/' "$demo/smart-pump.toml" && rm -f "$demo/smart-pump.toml.bak"
wait_for "Smart Pump Pro"
# An editor that truncates before it writes: the reload in between sees no
# roadmap, and the write that follows is still picked up.
cp "$demo/smart-pump.toml" "$tmp/keep.toml"
: > "$demo/smart-pump.toml"
wait_for "no roadmap found"
sed 's/^title = "Smart Pump Pro"/title = "Smart Pump Max"/' "$tmp/keep.toml" > "$demo/smart-pump.toml"
wait_for "Smart Pump Max"
send q
wait_for "ROADLENS-EXIT=0"
t kill-session -t e2e

# ---- NO_COLOR, Ctrl-C
start "NO_COLOR=1"
wait_for "TIMELINE"
send C-c
wait_for "ROADLENS-EXIT=0"
t kill-session -t e2e

# ---- SIGTERM restores the terminal and exits 143
start "TERM=xterm-256color"
wait_for "TIMELINE"
shell=$(t list-panes -t e2e -F '#{pane_pid}')
pid=$(pgrep -P "$shell" | head -n 1)
[ -n "$pid" ] || fail "no roadlens process under the pane's shell"
kill -TERM "$pid"
wait_for "ROADLENS-EXIT=143"
t kill-session -t e2e

# ---- not a terminal: a clear error and exit code 2
code=0
"$bin" -C "$demo" </dev/null >"$tmp/out" 2>&1 || code=$?
[ "$code" = 2 ] || fail "without a terminal: exit $code, want 2"
grep -qF "needs a terminal" "$tmp/out" || fail "without a terminal: $(cat "$tmp/out")"

echo "tui-e2e: ok"

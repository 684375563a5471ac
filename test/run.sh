#!/usr/bin/env bash
# The whole test suite in one command (`npm test`): installs what the tests need when it is missing
# (Debian's Chromium, PostgreSQL 15's server programs, the Liberation and Carlito fonts, LibreOffice Writer,
# poppler and python3-docx for the Word documents, node_modules), builds the
# app, runs every Vitest project at once, and ends with one line: "N passed, N failed".
# A skipped test counts as failed: every test must run.
set -uo pipefail
cd "$(dirname "$0")/.."

results=test-results
report="$results/vitest.json"
mkdir -p "$results"

step() { printf '\n== %s\n' "$*"; }

# Stops before the tests, still ending with the line that counts.
give_up() {
  echo "$*"
  echo "0 passed, 1 failed"
  exit 1
}

# The last line, counted from Vitest's JSON report; exits non-zero unless every test passed.
finish() {
  local vitest_status=$1
  node --input-type=module - "$report" "$vitest_status" <<'EOF'
import fs from "node:fs";
const [file, vitestStatus] = process.argv.slice(2);
if (!fs.existsSync(file)) {
  console.log(`No test report was written (${file}): the test run did not complete.`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}
const report = JSON.parse(fs.readFileSync(file, "utf8"));
let passed = 0;
let failed = 0;
const notes = [];
for (const testFile of report.testResults ?? []) {
  const tests = testFile.assertionResults ?? [];
  for (const test of tests) {
    if (test.status === "passed") passed++;
    else {
      failed++;
      if (test.status !== "failed") notes.push(`${test.status}, counted as failed: ${test.fullName}`);
    }
  }
  // A file that could not run has no tests to count, but it is a failure all the same.
  if (testFile.status === "failed" && !tests.some((t) => t.status === "failed")) {
    failed++;
    notes.push(`could not run: ${testFile.name}\n  ${String(testFile.message ?? "").split("\n")[0]}`);
  }
}
if (failed === 0 && vitestStatus !== "0") {
  failed++;
  notes.push("Vitest reported an error outside the tests (see above).");
}
if (passed + failed === 0) {
  failed++;
  notes.push("No test ran.");
}
for (const note of notes) console.log(note);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
EOF
}

# ---------------------------------------------------------------- system packages (Debian)
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
{ [ -x /usr/lib/postgresql/15/bin/initdb ] && [ -x /usr/lib/postgresql/15/bin/pg_ctl ]; } || missing+=(postgresql)
# The Word documents are read by an independent reader (python3-docx), converted by LibreOffice and
# drawn page by page (poppler), in Calibri's metric twin (Carlito) as a reader would see them.
for package in fonts-liberation2 fonts-crosextra-carlito python3-docx poppler-utils libreoffice-writer-nogui; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "Installing ${missing[*]}"
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null ||
      give_up "The tests need these Debian packages: ${missing[*]}. Install them as root (apt-get install ${missing[*]}) and run again."
    sudo=(sudo)
  fi
  apt_log="$results/apt.log"
  if ! { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      -o DPkg::Lock::Timeout=600 "${missing[@]}"; } >"$apt_log" 2>&1; then
    tail -n 30 "$apt_log"
    give_up "Installing ${missing[*]} failed (the whole log is in $apt_log)."
  fi
  echo "Installed."
fi

# ---------------------------------------------------------------- node_modules and the build
if [ ! -d node_modules ]; then
  step "Installing node_modules (npm ci)"
  npm ci --no-audit --no-fund || give_up "npm ci failed: no test was run."
fi

step "Building the app"
npm run build --silent || give_up "The build failed: no test was run."

# ---------------------------------------------------------------- the tests
step "Running the tests (unit, integration on PGlite and PostgreSQL, end-to-end in Chromium)"
rm -f "$report"
npx vitest run --reporter=default --reporter=json --outputFile="$report"
vitest_status=$?

step "Result"
finish "$vitest_status"

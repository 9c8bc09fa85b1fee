#!/usr/bin/env bash
# Installs what the tests need and runs the whole suite. CI (.ci/run) calls this.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/require.sh

require_dotnet
# chromium: the browser end-to-end tests (driven by Microsoft.Playwright, never downloaded);
# sip-tester (SIPp) and baresip: the SIP gateway's interop tests.
# ffmpeg: ffprobe/ffmpeg play conference recordings back.
require_packages "${RUNTIME_PACKAGES[@]}" chromium fonts-dejavu-core sip-tester baresip ffmpeg

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build MediaServer.sln -c Release -nologo -v quiet -clp:ErrorsOnly

results=$(mktemp -d)
status=0
dotnet test MediaServer.sln -c Release --no-build -nologo \
  --logger "trx" --results-directory "$results" \
  --logger "console;verbosity=normal" || status=$?

# One closing line for whoever reads the log: the totals over every test project.
python3 - "$results" <<'PY' || true
import glob, sys, xml.etree.ElementTree as ET
passed = failed = skipped = 0
failures = []
for path in glob.glob(sys.argv[1] + "/*.trx"):
    counters = ET.parse(path).getroot().find(".//{*}Counters")
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0))
    skipped += int(counters.get("notExecuted", 0))
    # The failures again at the very end, so a log that is cut at its head still names them.
    for result in ET.parse(path).getroot().iter("{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}UnitTestResult"):
        if result.get("outcome") not in ("Failed", "Error", "Timeout"):
            continue
        message = result.find(".//{*}Message")
        text = (message.text or "").strip().splitlines()[:3] if message is not None else []
        failures.append(result.get("testName") + ("\n      " + "\n      ".join(text) if text else ""))
for failure in failures:
    print("FAILED " + failure)
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
PY
rm -rf "$results"
exit $status

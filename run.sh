#!/usr/bin/env bash
# Builds the server (Release) and starts it with the defaults of conf/; arguments are
# passed to the server (see README.md, "Flags").
set -euo pipefail
cd "$(dirname "$0")"
source scripts/require.sh

require_dotnet
require_packages "${RUNTIME_PACKAGES[@]}"

dotnet build Server/Server.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
exec dotnet Server/bin/Release/net10.0/Server.dll "$@"

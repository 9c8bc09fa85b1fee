# Shared by run.sh and test.sh: check for the .NET SDK and install missing Debian packages.
# Sourced, not run.

require_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "error: the .NET 10 SDK is not installed (https://learn.microsoft.com/dotnet/core/install/linux-debian)" >&2
    exit 1
  fi
  local major
  major=$(dotnet --version 2>/dev/null | cut -d. -f1)
  if [ "${major:-0}" -lt 10 ]; then
    echo "error: .NET SDK 10 or newer is required, found $(dotnet --version 2>/dev/null || echo none)" >&2
    exit 1
  fi
}

# require_packages PKG...: installs the missing ones with apt-get when we may, else stops naming them.
require_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0

  local apt=()
  if [ "$(id -u)" -eq 0 ]; then
    apt=(apt-get)
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    apt=(sudo apt-get)
  fi
  if [ ${#apt[@]} -eq 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "error: missing Debian packages: ${missing[*]}" >&2
    echo "       install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi

  echo "Installing Debian packages: ${missing[*]}"
  "${apt[@]}" update -qq >/dev/null || true
  if ! DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    echo "error: could not install: ${missing[*]}" >&2
    exit 1
  fi
}

# Native libraries the media plane loads through P/Invoke (architecture.md "Dependencies").
RUNTIME_PACKAGES=(libopus0 libvpx7 libsrtp2-1 libyuv0 libfreetype6 fonts-dejavu-core ca-certificates)

#!/usr/bin/env bash
# Installs exactly the Debian 12 packages kerec needs to build, test and run, if any are missing.
# Idempotent: when everything is present it only checks and exits. Needs root (or sudo) to install.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  openmpi-bin libopenmpi-dev libboost-mpi-dev
  libhdf5-openmpi-dev hdf5-tools
  libeigen3-dev libcereal-dev libgtest-dev libgmock-dev
  libcurl4-openssl-dev libcpp-httplib-dev nlohmann-json3-dev
  libtomlplusplus-dev libcli11-dev libspdlog-dev zlib1g-dev
  python3-h5py python3-numpy python3-matplotlib curl chromium
  slurmctld slurmd slurm-client munge shellcheck
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"

#!/usr/bin/env bash
# Installs what the benchmarks compare against and nothing else: Debian's PyTorch (CPU) for
# bench/train_bench.py. Run the reference with /usr/bin/python3. Does nothing when it is present.
set -euo pipefail
if /usr/bin/python3 -c "import torch" 2>/dev/null; then
  echo "python3-torch: present"
  exit 0
fi
SUDO=""
[[ $(id -u) -ne 0 ]] && SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-torch python3-numpy

# Sourced by the scripts that run MPI (demo.sh, test.sh): Open MPI settings for workstations and CI.
# Open MPI refuses to run as root unless told; CI and containers run as root.
if [[ $(id -u) -eq 0 ]]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
# Tests run 4 ranks on 2-core machines: allow more ranks than cores.
export OMPI_MCA_rmaps_base_oversubscribe=1

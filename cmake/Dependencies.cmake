# Finds the Debian 12 packages kerec builds against. scripts/install-deps.sh installs them.

find_package(MPI REQUIRED COMPONENTS C CXX)
find_package(Boost 1.74 REQUIRED COMPONENTS mpi serialization)

# HDF5 must be the parallel (MPI-IO) build: the graph and the models are written collectively.
set(HDF5_PREFER_PARALLEL TRUE)
find_package(HDF5 REQUIRED COMPONENTS C)
if(NOT HDF5_IS_PARALLEL)
  message(FATAL_ERROR "kerec needs parallel HDF5 (Debian: libhdf5-openmpi-dev), but the HDF5 found "
                      "(${HDF5_C_INCLUDE_DIRS}) is serial. Run scripts/install-deps.sh.")
endif()
add_library(hdf5_parallel INTERFACE)
target_include_directories(hdf5_parallel SYSTEM INTERFACE ${HDF5_C_INCLUDE_DIRS})
target_link_libraries(hdf5_parallel INTERFACE ${HDF5_C_LIBRARIES} MPI::MPI_C)
target_compile_definitions(hdf5_parallel INTERFACE ${HDF5_C_DEFINITIONS})

find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(cereal REQUIRED)
find_package(GTest REQUIRED)
find_package(CURL REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(tomlplusplus 3 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(spdlog REQUIRED)
find_package(ZLIB REQUIRED)
find_package(Threads REQUIRED)

# cpp-httplib: Debian ships it compiled (httplib.h declares, libcpp-httplib.so defines) and with no
# CMake config.
find_path(HTTPLIB_INCLUDE_DIR httplib.h REQUIRED)
find_library(HTTPLIB_LIBRARY cpp-httplib REQUIRED)
add_library(httplib_header INTERFACE)
target_include_directories(httplib_header SYSTEM INTERFACE ${HTTPLIB_INCLUDE_DIR})
target_link_libraries(httplib_header INTERFACE ${HTTPLIB_LIBRARY} Threads::Threads)

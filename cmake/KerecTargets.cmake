# kerec_part(NAME DEPS ...): static library kerec_NAME from src/NAME/*.cpp, public headers in include/.
function(kerec_part name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${name}/*.cpp)
  if(NOT sources)  # a header-only part
    add_library(kerec_${name} INTERFACE)
    target_include_directories(kerec_${name} INTERFACE ${PROJECT_SOURCE_DIR}/include)
    target_link_libraries(kerec_${name} INTERFACE ${ARG_DEPS})
    return()
  endif()
  add_library(kerec_${name} STATIC ${sources})
  target_include_directories(kerec_${name} PUBLIC ${PROJECT_SOURCE_DIR}/include
                             PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(kerec_${name} PUBLIC ${ARG_DEPS})
  target_compile_definitions(kerec_${name} PUBLIC KEREC_VERSION="${PROJECT_VERSION}")
endfunction()

# Tests are built as one GoogleTest executable per part and kind (tests/<kind>/<part>/*_test.cpp →
# <kind>_<part>_tests): linking dominates a test build, so fewer executables build faster. The
# sources keep one <foo>_test.cpp per <foo>; `--gtest_filter` selects within an executable.

# kerec_unit_tests(PART FILES ... LIBS ...): tests/unit/<part>/*_test.cpp as unit_<part>_tests.
function(kerec_unit_tests part)
  cmake_parse_arguments(ARG "" "" "FILES;LIBS" ${ARGN})
  set(name unit_${part}_tests)
  add_executable(${name} ${ARG_FILES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest_main GTest::gmock)
  target_compile_definitions(${name} PRIVATE KEREC_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  add_test(NAME unit_${part} COMMAND ${name})
  set_tests_properties(unit_${part} PROPERTIES LABELS unit TIMEOUT 900)
endfunction()

# kerec_mpi_tests(PART FILES ... LIBS ...): tests/mpi/<part>/*_test.cpp as mpi_<part>_tests, with
# the MPI test main, run under mpiexec at 1, 2 and 4 ranks.
function(kerec_mpi_tests part)
  cmake_parse_arguments(ARG "" "" "FILES;LIBS" ${ARGN})
  set(name mpi_${part}_tests)
  add_executable(${name} ${ARG_FILES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} kerec_mpi_test_main GTest::gtest GTest::gmock)
  target_compile_definitions(${name} PRIVATE KEREC_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  foreach(np 1 2 4)
    add_test(NAME mpi_${part}_np${np}
             COMMAND ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${np} ${MPIEXEC_PREFLAGS}
                     $<TARGET_FILE:${name}> ${MPIEXEC_POSTFLAGS})
    set_tests_properties(mpi_${part}_np${np} PROPERTIES LABELS mpi TIMEOUT 900 PROCESSORS ${np})
  endforeach()
endfunction()

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

# kerec_unit_test(FILE LIBS ...): one GoogleTest executable per tests/unit/<part>/<foo>_test.cpp.
function(kerec_unit_test file)
  cmake_parse_arguments(ARG "" "" "LIBS" ${ARGN})
  get_filename_component(name ${file} NAME_WE)
  add_executable(${name} ${file})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest_main GTest::gmock)
  target_compile_definitions(${name} PRIVATE KEREC_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS unit TIMEOUT 300)
endfunction()

# kerec_mpi_test(FILE LIBS ...): a GoogleTest executable with the MPI test main, run at 1, 2, 4 ranks.
function(kerec_mpi_test file)
  cmake_parse_arguments(ARG "" "" "LIBS" ${ARGN})
  get_filename_component(name ${file} NAME_WE)
  add_executable(${name} ${file})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} kerec_mpi_test_main GTest::gtest GTest::gmock)
  target_compile_definitions(${name} PRIVATE KEREC_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  foreach(np 1 2 4)
    add_test(NAME ${name}_np${np}
             COMMAND ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${np} ${MPIEXEC_PREFLAGS}
                     $<TARGET_FILE:${name}> ${MPIEXEC_POSTFLAGS})
    set_tests_properties(${name}_np${np} PROPERTIES LABELS mpi TIMEOUT 300 PROCESSORS ${np})
  endforeach()
endfunction()

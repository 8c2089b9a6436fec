# Fuzz targets. In the normal build each is linked with fuzz/replay_main.cpp and replays its
# committed corpus (fixtures/fuzz/<name>/) as a ctest test with label fuzz. With MATRIX_FUZZ=ON
# (ci/fuzz.sh: clang, -fsanitize=fuzzer-no-link on everything) each links libFuzzer instead.
option(MATRIX_FUZZ "Link the fuzz targets with libFuzzer (clang only; see ci/fuzz.sh)" OFF)

# matrix_add_fuzz_target(NAME SOURCE LIBRARIES...): the target is named fuzz_NAME.
function(matrix_add_fuzz_target name source)
  set(target fuzz_${name})
  add_executable(${target} ${source})
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/fuzz)
  target_link_libraries(${target} PRIVATE ${ARGN})
  matrix_set_warnings(${target})
  if(MATRIX_FUZZ)
    target_link_options(${target} PRIVATE -fsanitize=fuzzer)
  else()
    target_sources(${target} PRIVATE ${PROJECT_SOURCE_DIR}/fuzz/replay_main.cpp)
    add_test(NAME fuzz.${name}.ReplaysCorpus
             COMMAND ${target} ${PROJECT_SOURCE_DIR}/fixtures/fuzz/${name})
    set_tests_properties(fuzz.${name}.ReplaysCorpus PROPERTIES LABELS fuzz TIMEOUT 120)
  endif()
endfunction()

if(MATRIX_FUZZ OR MATRIX_BUILD_TESTS)
  add_subdirectory(sdk/fuzz)
  add_subdirectory(conformance/fuzz)
  add_subdirectory(mockserver/fuzz)
endif()

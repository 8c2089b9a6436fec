# The project's warning policy, applied to every target it builds.
function(matrix_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wno-sign-conversion)
  # GCC 12 at -O3 (a Release build) warns that std::string::replace and friends "may overlap"
  # in libstdc++'s own memcpy, with sizes near 2^63 that no code path reaches: GCC bug 105329,
  # fixed in GCC 13. Kept as a warning, not an error, so Release builds with -Werror work.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-error=restrict)
  endif()
  if(MATRIX_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

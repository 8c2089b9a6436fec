# The project's warning policy, applied to every target it builds.
function(matrix_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wno-sign-conversion)
  if(MATRIX_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# Runs a command and checks its exit code and output together, for the CLI tests: ctest's own
# PASS_REGULAR_EXPRESSION ignores the exit code, and WILL_FAIL ignores the output.
#
#   cmake -DEXPECT_EXIT=<code> [-DEXPECT_OUTPUT=<regex>] [-DREJECT_OUTPUT=<regex>]
#         [-DEXPECT_FILE=<path> [-DEXPECT_FILE_CONTENT=<regex>]]
#         -P expect_cli.cmake -- <command> [<argument>...]
#
# The output is stdout and stderr merged. EXPECT_FILE is removed first, so a file left by an
# earlier run cannot make the check pass.
cmake_minimum_required(VERSION 3.22)

set(command)
set(after_separator FALSE)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE 1 ${last})
  if(after_separator)
    list(APPEND command "${CMAKE_ARGV${i}}")
  elseif(CMAKE_ARGV${i} STREQUAL "--")
    set(after_separator TRUE)
  endif()
endforeach()
if(NOT command)
  message(FATAL_ERROR "expect_cli.cmake: no command given after --")
endif()
if(NOT DEFINED EXPECT_EXIT)
  message(FATAL_ERROR "expect_cli.cmake: EXPECT_EXIT is required")
endif()

if(DEFINED EXPECT_FILE)
  file(REMOVE "${EXPECT_FILE}")
endif()

execute_process(COMMAND ${command} RESULT_VARIABLE exit_code OUTPUT_VARIABLE output
                ERROR_VARIABLE output)

string(REPLACE ";" " " shown_command "${command}")
set(failures)
if(NOT exit_code STREQUAL EXPECT_EXIT)
  string(APPEND failures "exit code ${exit_code}, expected ${EXPECT_EXIT}\n")
endif()
if(DEFINED EXPECT_OUTPUT AND NOT output MATCHES "${EXPECT_OUTPUT}")
  string(APPEND failures "output does not match: ${EXPECT_OUTPUT}\n")
endif()
if(DEFINED REJECT_OUTPUT AND output MATCHES "${REJECT_OUTPUT}")
  string(APPEND failures "output matches what it must not: ${REJECT_OUTPUT}\n")
endif()
if(DEFINED EXPECT_FILE)
  if(NOT EXISTS "${EXPECT_FILE}")
    string(APPEND failures "file not written: ${EXPECT_FILE}\n")
  elseif(DEFINED EXPECT_FILE_CONTENT)
    file(READ "${EXPECT_FILE}" content)
    if(NOT content MATCHES "${EXPECT_FILE_CONTENT}")
      string(APPEND failures "${EXPECT_FILE} does not match: ${EXPECT_FILE_CONTENT}\n")
    endif()
  endif()
endif()

if(failures)
  message(FATAL_ERROR "${shown_command}\n${failures}--- output ---\n${output}")
endif()
message(STATUS "${shown_command}: exit code ${exit_code}, output as expected")

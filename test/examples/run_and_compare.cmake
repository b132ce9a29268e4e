# Runs PROGRAM with ARGS and checks that its stdout equals the file EXPECTED and that it exits
# with EXIT_CODE (default 0). Used for example programs whose output is a golden text.
if(NOT DEFINED EXIT_CODE)
  set(EXIT_CODE 0)
endif()
separate_arguments(args UNIX_COMMAND "${ARGS}")
execute_process(COMMAND ${PROGRAM} ${args} OUTPUT_VARIABLE out ERROR_VARIABLE err
                RESULT_VARIABLE rc)
file(READ ${EXPECTED} expected)
if(NOT rc EQUAL EXIT_CODE)
  message(FATAL_ERROR "exit code ${rc}, expected ${EXIT_CODE}\nstderr:\n${err}")
endif()
if(NOT out STREQUAL expected)
  message(FATAL_ERROR "output differs.\n--- expected\n${expected}--- actual\n${out}--- stderr\n${err}")
endif()

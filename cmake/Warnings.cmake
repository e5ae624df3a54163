# Compiler warnings, one per line with the reason. -Werror is on when LF_WERROR is set
# (CI and `make test` set it) so a warning can never land.
set(LF_WARNINGS
  -Wall                    # the baseline everyone agrees on
  -Wextra                  # unused parameters, sign/unsigned comparisons, missing initialisers
  -Wshadow                 # a shadowed local is usually a bug in waiting
  -Wformat=2               # printf-style format strings checked, including non-literal ones
  -Wstrict-prototypes      # `int f()` in C11 means "any arguments": forbid it
  -Wmissing-prototypes     # non-static functions must be declared in a header
  -Wpointer-arith          # arithmetic on void* is a GNU extension
  -Wcast-qual              # casting away const hides writes into borrowed memory
  -Wundef                  # #if on an undefined macro is a typo
  -Wvla                    # variable-length arrays: unbounded stack use from outside data
  -Wimplicit-fallthrough   # switch fallthrough must be marked
)
if(LF_WERROR)
  list(APPEND LF_WARNINGS -Werror)
endif()

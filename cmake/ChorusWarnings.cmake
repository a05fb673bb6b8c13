# Warning flags from docs/style: every target gets them; core adds -Werror (CHORUS_WERROR).
set(CHORUS_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wconversion)

function(chorus_warnings target)
  target_compile_options(${target} PRIVATE ${CHORUS_WARNINGS})
endfunction()

function(chorus_strict_warnings target)
  chorus_warnings(${target})
  if(CHORUS_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# Warning and sanitizer flags live on one INTERFACE target that every lanwatch target links.
add_library(lanwatch_standard_flags INTERFACE)
target_compile_options(lanwatch_standard_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wimplicit-fallthrough)
if(LANWATCH_WERROR)
  target_compile_options(lanwatch_standard_flags INTERFACE -Werror)
endif()
if(LANWATCH_SANITIZE)
  target_compile_options(lanwatch_standard_flags INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(lanwatch_standard_flags INTERFACE -fsanitize=address,undefined)
endif()

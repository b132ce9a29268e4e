#pragma once

namespace vigil::cli {

/// Sets up the process heap before any command runs (see heap.cc); a no-op when the binary
/// is built without mimalloc (sanitizer and fuzz builds).
void ConfigureHeap();

}  // namespace vigil::cli

// The heap of the `vigil` executable.
//
// A detection run keeps its state in many small per-group allocations (group keys, reducer
// entries, join arrangements), so a static run over a large log touches hundreds of MiB of
// fresh heap. With 4 KiB pages every one of those pages costs a page fault, and on virtual
// machines a fault is expensive: on the benchmark machine they were a quarter of `vigil
// detect`'s time on a 1M-line auth.log (docs/PERFORMANCE.md). mimalloc (Debian's
// libmimalloc-dev) backs its segments with 2 MiB transparent huge pages when asked, which cuts
// the faults 512-fold; glibc's malloc can only be told so through an environment variable
// read at startup (GLIBC_TUNABLES=glibc.malloc.hugetlb=1).

#include "cli/heap.h"

#ifdef VIGIL_WITH_MIMALLOC
#include <mimalloc.h>
#endif

namespace vigil::cli {

void ConfigureHeap() {
#ifdef VIGIL_WITH_MIMALLOC
  // Applies to the segments mimalloc maps from now on (almost all of them: only what static
  // initializers allocated came earlier). MIMALLOC_LARGE_OS_PAGES=0 in the environment still
  // turns it off, for a comparison.
  mi_option_set_enabled_default(mi_option_large_os_pages, true);
#endif
}

}  // namespace vigil::cli

// Process-wide limits a daemon polling thousands of devices runs into: open files (one UDP
// socket per SNMP session) and memory the allocator keeps after a burst (a round's replies,
// a scrape) without returning it.
#pragma once

#include <cstddef>

#include "config/config.h"

namespace lanwatch {

// Raises the soft open-files limit to the hard one when `needed` descriptors would not fit
// under it (the soft limit is often 1,024); warns when even the hard one is too low.
void RaiseOpenFilesLimit(size_t needed);

// The descriptors a config needs: one socket per device, per service check and per capture,
// plus the daemon's own (listeners, probes, the trap socket, files, scrapes).
size_t OpenFilesNeeded(const Config& config);

// Two malloc arenas for every thread. glibc gives each thread that allocates its own (up to
// 8 per core), and each keeps what its biggest burst needed: with the web server's threads
// each rendering a scrape, that is several times the live heap. Call before threads start.
void UseFewMallocArenas();

// Hands freed heap pages back to the system: after a round, once its replies and the snapshot
// it replaced are gone. It holds an arena while it walks it: not after every small change.
void ReturnFreedMemory();

}  // namespace lanwatch

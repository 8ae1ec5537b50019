// Process-wide limits a daemon polling thousands of devices runs into: open files (one UDP
// socket per SNMP session) and memory the allocator keeps after a burst (a round's replies,
// a scrape) without returning it.
#pragma once

#include <cstddef>

namespace lanwatch {

// Raises the soft open-files limit to the hard one when `needed` descriptors would not fit
// under it (the soft limit is often 1,024); warns when even the hard one is too low.
void RaiseOpenFilesLimit(size_t needed);

// The descriptors a config needs: one socket per device, plus the daemon's own (listeners,
// probes, the trap socket, files, scrapes).
size_t OpenFilesNeeded(size_t devices);

// One malloc arena for every thread. glibc gives each thread that allocates its own (up to
// 8 per core), and each keeps what its biggest burst needed: with the web server's threads
// each rendering a scrape, that is several times the live heap. Call before threads start.
void UseOneMallocArena();

// Hands freed heap pages back to the system (after a round and its publish).
void ReturnFreedMemory();

}  // namespace lanwatch

#include "probes/service/service_check.h"

namespace lanwatch {

bool StatusExpected(const StatusRange& range, long status) {
  return status >= range.low && status <= range.high;
}

}  // namespace lanwatch

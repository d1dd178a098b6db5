// The prefetch hint is a static inline function of the header; this file only makes the target a library.
#include "CCoSellPrefetch.h"

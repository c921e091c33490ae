#ifndef PODMETA_CCONCURRENCYHOOKS_H
#define PODMETA_CCONCURRENCYHOOKS_H

#include <stdbool.h>

/// Sets the Swift runtime's `swift_task_enqueueGlobal_hook` (swift/Runtime/ConcurrencyHooks.def)
/// to `hook`, a thin Swift function (the runtime calls it with the Swift calling convention),
/// unless a hook is already set. Returns whether it was set.
///
/// The hook is reached by name at link time rather than with dlsym, because a binary linked
/// with --static-swift-stdlib does not export the runtime's symbols: dlsym finds nothing there.
bool podmeta_install_enqueue_global_hook(const void *_Nonnull hook);

/// The hook installed now, or NULL.
const void *_Nullable podmeta_enqueue_global_hook(void);

#endif

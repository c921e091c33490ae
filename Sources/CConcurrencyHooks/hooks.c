#include "CConcurrencyHooks.h"

#include <stddef.h>

// Defined in libswift_Concurrency as a function pointer; only its storage matters here.
extern const void *swift_task_enqueueGlobal_hook;

bool podmeta_install_enqueue_global_hook(const void *hook) {
    const void *expected = NULL;
    return __atomic_compare_exchange_n(
        &swift_task_enqueueGlobal_hook, &expected, hook, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

const void *podmeta_enqueue_global_hook(void) {
    return __atomic_load_n(&swift_task_enqueueGlobal_hook, __ATOMIC_SEQ_CST);
}

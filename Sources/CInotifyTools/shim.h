#ifndef PODMETA_CINOTIFYTOOLS_SHIM_H
#define PODMETA_CINOTIFYTOOLS_SHIM_H

// libinotifytools ships no pkg-config file, so this shim plus `link "inotifytools"` in the
// module map is the whole binding. <sys/eventfd.h> is here because Glibc's Swift module
// does not export eventfd(2), which the watcher uses as its shutdown doorbell.
#include <sys/inotify.h>
#include <sys/eventfd.h>
#include <inotifytools/inotifytools.h>

#endif

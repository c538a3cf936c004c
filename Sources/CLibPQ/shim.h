#ifndef MARELLE_CLIBPQ_SHIM_H
#define MARELLE_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif

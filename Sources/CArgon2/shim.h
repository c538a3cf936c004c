#ifndef MARELLE_CARGON2_SHIM_H
#define MARELLE_CARGON2_SHIM_H
#include <argon2.h>
#endif

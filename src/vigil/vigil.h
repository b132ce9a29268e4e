#pragma once

/// Everything a Vigil pipeline uses, in one include: tables and expressions (`this_`,
/// `reducers::`), windows (`temporal::`), inputs/outputs (`io::`), `debug::` printing, run().

#include "connectors/debug.h"
#include "connectors/io.h"
#include "vigil/exec/run.h"
#include "vigil/expr/datetime_functions.h"
#include "vigil/expr/expression.h"
#include "vigil/expr/string_functions.h"
#include "vigil/graph/table.h"
#include "vigil/graph/window.h"
#include "vigil/types/schema.h"

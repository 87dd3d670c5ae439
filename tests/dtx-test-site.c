/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "dtx-test-site.h"

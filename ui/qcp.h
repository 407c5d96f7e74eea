// QCustomPlot, included the one way this project can: its header uses Qt's `signals` and `foreach`
// keywords, which QT_NO_KEYWORDS (needed beside LibTorch) switches off. They are defined for this header
// only. Include this instead of <qcustomplot.h>.
#pragma once
#ifndef signals
#define signals Q_SIGNALS
#define PW_QCP_UNDEF_SIGNALS
#endif
#ifndef foreach
#define foreach Q_FOREACH
#define PW_QCP_UNDEF_FOREACH
#endif
#include <qcustomplot.h>
#ifdef PW_QCP_UNDEF_SIGNALS
#undef signals
#undef PW_QCP_UNDEF_SIGNALS
#endif
#ifdef PW_QCP_UNDEF_FOREACH
#undef foreach
#undef PW_QCP_UNDEF_FOREACH
#endif

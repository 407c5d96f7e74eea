// peft-workbench: the desktop GUI.
//   --screenshot FILE [--tab NAME] [--demo quick]: start, optionally run the quick 8-method demo to its end,
//   show the named tab, grab the main window to a PNG and exit (README images, headless checks);
//   --after SECONDS grabs at that time instead (the live view of a run).
//   --model NAME|FOLDER picks the base model; --db FILE uses another results database.
//   FILE.pwb (a positional argument) opens a saved session at start.
//   --presentation starts in presentation mode (large fonts, full screen; F11 leaves it).
//   PW_STARTUP_TIME=1 prints when the window became interactive; PW_STALL_LOG=1 prints, at exit, the longest
//   time the GUI's event loop went without running a 5 ms timer (the responsiveness quality bar: < 100 ms).
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <cstdio>

#include "experiment_panel.h"
#include "main_window.h"
#include "presentation.h"
#include "util/allocator.h"
#include "util/threads.h"

int main(int argc, char** argv) {
  QElapsedTimer sinceStart;
  sinceStart.start();
  QApplication app(argc, argv);
  QApplication::setApplicationName("PEFT Workbench");
  QApplication::setOrganizationName("peft-workbench");
  pw::setupAllocator();  // reuse freed memory instead of page-faulting it back every step (docs/BENCHMARKS.md)
  const int threads = pw::setupThreads();

  QCommandLineParser parser;
  parser.setApplicationDescription("Compare ways of adapting a pretrained transformer, live.");
  parser.addHelpOption();
  QCommandLineOption screenshot("screenshot", "Grab the main window to FILE (PNG) and exit.", "FILE");
  QCommandLineOption tab("tab", "Show this tab (Training, Parameters, ID vs OOD, Sweep, ...).", "NAME");
  QCommandLineOption demo("demo", "Run a demo first: \"quick\" trains the 8 methods on the default model and task.",
                          "PRESET");
  QCommandLineOption after("after", "With --screenshot: grab after SECONDS (a live view mid-run) instead of at the end.",
                           "SECONDS");
  QCommandLineOption model("model", "Use this model (shipped name or folder).", "MODEL");
  QCommandLineOption db("db", "The results database (default: $PW_RESULTS_DB or ~/.local/share/...).", "FILE");
  QCommandLineOption presentation("presentation", "Start in presentation mode (large fonts, full screen).");
  parser.addOptions({screenshot, tab, demo, after, model, db, presentation});
  parser.addPositionalArgument("session", "A saved session (.pwb) to open at start.", "[FILE.pwb]");
  parser.process(app);
  if (parser.isSet(demo) && parser.value(demo) != "quick") {
    std::fprintf(stderr, "error: --demo takes \"quick\"\n");
    return 2;
  }

  pw::ui::MainWindow window(parser.value(db));
  window.setThreadsInUse(threads);
  window.show();
  // Keyboard shortcuts (Ctrl+R, Ctrl+1..6) act on the active window: ask for focus at once rather than
  // waiting for the first click (issue #20).
  window.raise();
  window.activateWindow();
  if (parser.isSet(presentation)) window.presentation()->setOn(true);
  if (!parser.positionalArguments().isEmpty()) {  // first, so --model and --tab can still override it
    QString error;
    if (!window.openSession(parser.positionalArguments().first(), &error)) {
      std::fprintf(stderr, "error: cannot open the session: %s\n", qPrintable(error));
      window.showMessage("Cannot open the session: " + error, true);
    }
  }
  if (parser.isSet(model)) window.showModel(parser.value(model));
  const QString tabName = parser.value(tab);
  if (!tabName.isEmpty() && !window.showTab(tabName)) {
    std::fprintf(stderr, "error: no tab named \"%s\" (Training, Parameters, ID vs OOD)\n", qPrintable(tabName));
    return 2;
  }
  QTimer::singleShot(0, &window, [&sinceStart] {
    if (qEnvironmentVariableIsSet("PW_STARTUP_TIME"))
      std::fprintf(stderr, "window interactive after %lld ms\n", static_cast<long long>(sinceStart.elapsed()));
  });
  if (parser.isSet(demo)) QTimer::singleShot(0, &window, [&window] { window.startDemo(); });

  QElapsedTimer stallClock;
  qint64 lastTick = 0, longestStall = 0;
  QTimer stallTimer;
  if (qEnvironmentVariableIsSet("PW_STALL_LOG")) {
    QObject::connect(&stallTimer, &QTimer::timeout, [&] {
      const qint64 now = stallClock.elapsed();
      longestStall = std::max(longestStall, now - lastTick);
      lastTick = now;
    });
    QTimer::singleShot(1000, &window, [&] {  // from one second in: start-up itself is measured separately
      stallClock.start();
      stallTimer.start(5);
    });
  }

  if (parser.isSet(screenshot)) {
    const QString file = parser.value(screenshot);
    bool grabbed = false;
    auto grab = [&window, &grabbed, file, tabName] {
      if (grabbed) return;
      grabbed = true;
      if (!tabName.isEmpty()) window.showTab(tabName);
      // Let the shown tab lay out and its charts replot before grabbing.
      QTimer::singleShot(400, &window, [&window, file] {
        const bool ok = window.grab().save(file, "PNG");
        std::fprintf(stderr, ok ? "screenshot written to %s\n" : "error: cannot write %s\n", qPrintable(file));
        QApplication::exit(ok ? 0 : 1);
      });
    };
    if (parser.isSet(after)) {
      QTimer::singleShot(int(parser.value(after).toDouble() * 1000), &window, grab);
    } else if (parser.isSet(demo)) {
      QObject::connect(&window, &pw::ui::MainWindow::queueFinished, &window, grab);
      QTimer::singleShot(30 * 60 * 1000, &window, grab);
    } else {
      // Once the model and task facts have loaded (or failed), or after 20 s at most.
      auto* poll = new QTimer(&window);
      QObject::connect(poll, &QTimer::timeout, &window, [&window, grab] {
        if (!window.panel()->isLoading()) grab();
      });
      poll->start(200);
      QTimer::singleShot(20000, &window, grab);
    }
  }
  const int rc = app.exec();
  if (stallTimer.isActive())
    std::fprintf(stderr, "longest event-loop stall: %lld ms\n", static_cast<long long>(longestStall));
  return rc;
}

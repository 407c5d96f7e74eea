// peft-workbench: the desktop GUI. `--screenshot FILE [--model NAME]` grabs the window to a PNG and exits.
#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <cstdio>

#include "main_window.h"
#include "util/threads.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName("PEFT Workbench");
  QApplication::setOrganizationName("peft-workbench");
  pw::setupThreads();

  QCommandLineParser parser;
  parser.setApplicationDescription("Compare ways of adapting a pretrained transformer, live.");
  parser.addHelpOption();
  QCommandLineOption screenshot("screenshot", "Grab the main window to FILE (PNG) and exit.", "FILE");
  QCommandLineOption model("model", "Show this model (shipped name or folder) at start.", "MODEL");
  parser.addOption(screenshot);
  parser.addOption(model);
  parser.process(app);

  pw::ui::MainWindow window;
  window.show();
  if (parser.isSet(model)) window.showModel(parser.value(model));
  if (parser.isSet(screenshot)) {
    const QString file = parser.value(screenshot);
    auto grab = [&window, file] {
      bool ok = window.grab().save(file, "PNG");
      std::fprintf(stderr, ok ? "screenshot written to %s\n" : "error: cannot write %s\n", qPrintable(file));
      QApplication::exit(ok ? 0 : 1);
    };
    // Grab once the model summary has loaded (or failed), or after 20 s at most.
    QObject::connect(&window, &pw::ui::MainWindow::modelLoaded, &window, [grab] { QTimer::singleShot(100, grab); });
    QTimer::singleShot(20000, grab);
  }
  return app.exec();
}

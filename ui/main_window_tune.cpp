// Run > Tune learning rates: the main window's side of the tune dialog (tune_dialog.h).
#include "experiment_panel.h"
#include "main_window.h"
#include "methods/catalog.h"
#include "train/tune.h"
#include "tune_dialog.h"

namespace pw::ui {

TuneDialog* MainWindow::openTuneDialog() {
  const QString method = panel_->selectedMethod();
  if (method.isEmpty()) {
    showMessage("Select a method in the Methods list, then tune its learning rates.", false);
    return nullptr;
  }
  if (method == "lp") {
    showMessage("Linear probing fits its head by L-BFGS with its L2 strength chosen on validation: it has no "
                "learning rate to tune.", false);
    return nullptr;
  }
  if (isRunning()) {
    showMessage("Runs are training: tune when the queue has finished (both would share the same cores).", false);
    return nullptr;
  }
  auto* dialog = new TuneDialog(panel_->configFor(method, uint64_t(panel_->firstSeed())), dbPath_, this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->setParallel(panel_->parallelRuns(2 * kTuneGridPoints));  // a round of 2 seeds, side by side as the queue
  connect(dialog, &TuneDialog::tuneFinished, this, [this] {
    reloadRuns();
    scheduleRefresh();
  });
  connect(dialog, &QDialog::accepted, this, [this, dialog, method] {
    if (!dialog->hasChoice()) return;
    panel_->setRates(dialog->chosenLr(), dialog->chosenHeadLr());
    QString factors;
    for (const auto& [key, value] : dialog->chosenFactors()) {
      panel_->setKnob(method, QString::fromStdString(key), value);
      factors += QString(", %1 %2").arg(QString::fromStdString(key)).arg(value, 0, 'g', 3);
    }
    showMessage(QString("%1 now trains at rate %2, head rate %3%4 (chosen on the validation split).")
                    .arg(QString::fromStdString(methodDescriptor(method.toStdString()).title))
                    .arg(dialog->result().tuned.effectiveLr(), 0, 'g', 3)
                    .arg(dialog->result().tuned.effectiveHeadLr(), 0, 'g', 3)
                    .arg(factors),
                false);
  });
  dialog->open();
  return dialog;
}

}  // namespace pw::ui

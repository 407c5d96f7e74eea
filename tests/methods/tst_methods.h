// The method tests' class; its slots live in tst_methods.cpp (the case table through shared checks) and
// tst_methods_counts.cpp (parameter accounting, sanity anchors, bad input, the CLI).
#pragma once
#include <QObject>

class TestMethods : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // tst_methods.cpp: every (family, method, knobs) case
  void trainsExactlyWhatItDeclares();
  void freshOrDisabledGivesBaseOutput();
  void adapterFolderRoundTrip();
  void liveCountsEqualConfigCountsAndFormulas();
  // tst_methods.cpp: method-specific behaviour
  void mergedLoraEqualsUnmerged();
  void promptLengthensAndMasksPadding();
  void promptInitFromLabels();
  void prefixShapesAndCausality();
  void prefixBakeKeepsOutputs();
  void lpftStageTwoStartsFromStageOneHead();
  // tst_methods_counts.cpp
  void baseTensorsMatchLiveModel();
  void realConfigsMatchFormulas();
  void sanityAnchors();
  void targetsByName();
  void badInput();
  void adapterForAnotherBaseModel();
  void cliParams();
  void cliBadInput();
};

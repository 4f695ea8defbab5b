package io.rankops.worker.extraction;

import io.rankops.workflows.pipeline.DataWindow;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The window's days assigned to splits: the last {@code testDays} to test, the
 * {@code validationDays} before them to validation, the rest to train. Splitting by day, not by
 * row, keeps the model from seeing the future it is evaluated on.
 */
record TimeSplit(List<LocalDate> train, List<LocalDate> validation, List<LocalDate> test) {

    static final String TRAIN = "train";
    static final String VALIDATION = "validation";
    static final String TEST = "test";
    static final List<String> NAMES = List.of(TRAIN, VALIDATION, TEST);

    static TimeSplit of(DataWindow window, int validationDays, int testDays) {
        if (window == null || window.start() == null || window.end() == null) {
            throw ExtractionRejectedException.badRequest("the request has no complete window (start and end days)");
        }
        if (window.end().isBefore(window.start())) {
            throw ExtractionRejectedException.badRequest(
                    "window end " + window.end() + " is before its start " + window.start());
        }
        if (testDays < 1) {
            throw ExtractionRejectedException.badRequest("testDays must be at least 1, was " + testDays);
        }
        if (validationDays < 0) {
            throw ExtractionRejectedException.badRequest("validationDays must not be negative, was " + validationDays);
        }
        long trainDays = window.days() - validationDays - testDays;
        if (trainDays < 1) {
            throw ExtractionRejectedException.badRequest("window " + window.start() + ".." + window.end()
                    + " has " + window.days() + " day(s): testDays=" + testDays + " + validationDays="
                    + validationDays + " leave no day for training");
        }
        List<LocalDate> days = new ArrayList<>();
        for (LocalDate day = window.start(); !day.isAfter(window.end()); day = day.plusDays(1)) {
            days.add(day);
        }
        int validationStart = (int) trainDays;
        int testStart = validationStart + validationDays;
        return new TimeSplit(List.copyOf(days.subList(0, validationStart)),
                List.copyOf(days.subList(validationStart, testStart)),
                List.copyOf(days.subList(testStart, days.size())));
    }

    List<LocalDate> allDays() {
        List<LocalDate> all = new ArrayList<>(train);
        all.addAll(validation);
        all.addAll(test);
        return all;
    }

    String splitOf(LocalDate day) {
        if (test.contains(day)) {
            return TEST;
        }
        return validation.contains(day) ? VALIDATION : TRAIN;
    }

    Map<String, List<LocalDate>> daysBySplit() {
        Map<String, List<LocalDate>> bySplit = new LinkedHashMap<>();
        bySplit.put(TRAIN, train);
        bySplit.put(VALIDATION, validation);
        bySplit.put(TEST, test);
        return bySplit;
    }
}

package org.ncf4j.trainer.train;

/**
 * {@code --resume} asked of a run that cannot go on as asked: its saved state is of other settings or data, or the
 * optimizer's state cannot be saved. Bad usage, not bad data.
 */
public final class ResumeRefused extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    ResumeRefused(String message) {
        super("--resume: " + message);
    }
}

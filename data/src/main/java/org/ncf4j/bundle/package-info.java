/**
 * The model bundle: one directory per model version holding the ONNX graphs, a JSON card, id maps, each user's
 * training items and item popularity, with the SHA-256 of every file. Written by the trainer, read and validated
 * by the server and the CLI.
 */
package org.ncf4j.bundle;

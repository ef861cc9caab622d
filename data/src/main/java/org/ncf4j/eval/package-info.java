/**
 * Ranking metrics of the NCF protocol (HR@K and NDCG@K), one implementation shared by the trainer and the CLI.
 */
package org.ncf4j.eval;

/** Trains the NCF models (GMF, MLP, NeuMF) with DJL on PyTorch and evaluates them with HR/NDCG. */
package org.ncf4j.trainer;

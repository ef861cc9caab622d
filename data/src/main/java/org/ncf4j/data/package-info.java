/**
 * Interaction datasets and what is derived from them: readers for MovieLens, the NCF paper's split files and
 * any delimited file; external id maps; the leave-one-out split; negative sampling over the items a user has
 * not interacted with. Shared by the trainer, the server and the CLI, so it depends on no ML runtime.
 */
package org.ncf4j.data;

/**
 * The one definition of each NCF variant, shared by training and export, with stable parameter names.
 */
package org.ncf4j.trainer.model;

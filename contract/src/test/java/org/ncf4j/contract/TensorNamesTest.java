package org.ncf4j.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class TensorNamesTest {
    @Test
    void aPiecesNameGivesBackItsTableAndNumber() {
        String name = TensorNames.piece(TensorNames.GMF_USER_EMBEDDING, 12);
        assertEquals("gmf_user_embedding.piece12", name);
        assertEquals(TensorNames.GMF_USER_EMBEDDING, TensorNames.pieceTable(name));
        assertEquals(12, TensorNames.pieceIndex(name));
        assertEquals(0, TensorNames.pieceIndex(TensorNames.piece("t", 0)));
    }

    @Test
    void namesNotWrittenByPieceNameNoPiece() {
        for (String name : new String[] {TensorNames.GMF_USER_EMBEDDING, ".piece0", "t.piece", "t.piece01",
                "t.piece-1", "t.piece+1", "t.piecex", "t.piece99999999999"}) {
            assertEquals(-1, TensorNames.pieceIndex(name), name);
            assertNull(TensorNames.pieceTable(name), name);
        }
    }
}

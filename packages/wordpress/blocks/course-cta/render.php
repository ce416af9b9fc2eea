<?php
/**
 * The block chorus/course-cta.
 *
 * @package Chorus
 * @var array $attributes The block's attributes.
 */

defined( 'ABSPATH' ) || exit;

$chorus_image_id = isset( $attributes['imageId'] ) ? absint( $attributes['imageId'] ) : 0;
// Escaped inside, for each context.
echo chorus_render_course( // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped
	array(
		'href'         => chorus_block_string( $attributes, 'href' ),
		'label'        => chorus_block_string( $attributes, 'label' ),
		'campaign'     => chorus_block_string( $attributes, 'campaign' ),
		'no_utm'       => ! empty( $attributes['noUtm'] ),
		'dismissible'  => ! empty( $attributes['dismissible'] ),
		'dismiss_days' => chorus_block_string( $attributes, 'dismissDays' ),
		'heading'      => chorus_block_string( $attributes, 'heading' ),
		'text'         => chorus_block_string( $attributes, 'text' ),
		'image'        => $chorus_image_id ? $chorus_image_id : chorus_block_string( $attributes, 'imageUrl' ),
		'image_alt'    => chorus_block_string( $attributes, 'imageAlt' ),
		'id'           => chorus_block_string( $attributes, 'id' ),
		'class'        => chorus_block_string( $attributes, 'className' ),
	)
);
